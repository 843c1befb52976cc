// Presentation of academy concerns: the back end's wording (its vocabulary)
// looked up by id and fitted into a sentence or a heading. The rules — who
// qualifies, which step may come next — are the back end's alone.

import { sentenceCase } from './format';
import type { AcademyTerm } from './types';

/** The label of `id` among `terms`, or the id itself if the vocabulary lacks it. */
export function termLabel(terms: AcademyTerm[], id: string): string {
  return terms.find((term) => term.id === id)?.label ?? id;
}

/** A label that sits inside a sentence, as a heading or a button: first letter capital. */
export function asHeading(label: string): string {
  return sentenceCase(label);
}
