// The shapes the Tauri commands return, as src-tauri serialises them.
// Keep in step with the commands in src-tauri: these are the contract.

export type AdviserRole = 'link-sia' | 'senior-sia' | 'governance-lead' | 'admin';

export interface Adviser {
  id: string;
  name: string;
  email: string;
  role: AdviserRole;
  role_label: string;
}

export interface StoreStatus {
  path: string;
  /** Open schools in the store. */
  schools: number;
  /** Open schools linked to the current adviser. */
  caseload: number;
  adviser: Adviser | null;
  /** For example "Autumn term 2026/27, first half-term". */
  term: string;
}

export type Governance = 'maintained' | 'academy' | 'independent' | 'other';

export type SchoolStatus = 'open' | 'open_proposed_to_close' | 'proposed_to_open' | 'closed';

export interface SchoolRow {
  urn: number;
  name: string;
  /** Snake-case id, for example "primary" or "middle_deemed_primary". */
  phase: string;
  phase_label: string;
  /** The GIAS establishment type, for example "Community school". */
  type: string;
  maintained: boolean;
  governance: Governance;
  status: SchoolStatus;
  status_label: string;
  ward: string | null;
  town: string | null;
  trust: string | null;
  /** One-line summary, for example "Good (Mar 2023)". */
  ofsted: string | null;
  /** The link SIA's name. */
  link_sia: string | null;
}

export interface Contact {
  id: string;
  role: string;
  role_label: string;
  name: string;
  email: string | null;
  phone: string | null;
  address: string | null;
}

export interface Judgement {
  area: string;
  grade: string;
}

export interface Inspection {
  id: string;
  /** YYYY-MM-DD */
  inspected_on: string;
  framework: 'graded-2019' | 'report-card-2025';
  framework_label: string;
  summary: string;
  judgements: Judgement[];
  /** "Met" or "Not met" for report cards; null for graded inspections. */
  safeguarding: string | null;
}

export interface SchoolProfile {
  row: SchoolRow;
  la_code: string;
  address_lines: string[];
  headteacher: string | null;
  telephone: string | null;
  website: string | null;
  pupils: number | null;
  percentage_fsm: number | null;
  /** YYYY-MM-DD */
  open_date: string | null;
  /** YYYY-MM-DD */
  close_date: string | null;
  link_sia: Adviser | null;
  contacts: Contact[];
  /** Latest first. */
  inspections: Inspection[];
}

export interface ImportSummary {
  added: number;
  updated: number;
  unchanged: number;
  closed: number;
  other_la: number;
  warnings: string[];
}

export type Scope = 'caseload' | 'all';
