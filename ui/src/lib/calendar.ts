// Words for the adviser's calendar file.
import type { CalendarCount } from './types';

/** "1 planned visit and 2 planned MSP meetings". */
export function diaryCount(count: CalendarCount): string {
  const visits = count.visits === 1 ? '1 planned visit' : `${count.visits} planned visits`;
  const meetings = count.meetings === 1 ? '1 planned MSP meeting' : `${count.meetings} planned MSP meetings`;
  return `${visits} and ${meetings}`;
}
