import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { MasyncError } from '../errors';
import { renderCsv, type CsvDataset } from './csv';
import { renderHtml } from './html';
import { reportToJson } from './json';
import type { ReportData } from './types';

export { CSV_DATASET_NAMES, type CsvDataset } from './csv';
export { gatherReport, type GatherOptions } from './gather';
export { REPORT_CSP, renderHtml } from './html';
export type { ReportData } from './types';

export type ReportFormat = 'html' | 'csv' | 'json';
export const REPORT_FORMATS: readonly ReportFormat[] = ['html', 'csv', 'json'];

/** The report in one format; CSV is one dataset at a time. */
export function renderReport(d: ReportData, format: ReportFormat, dataset: CsvDataset = 'inventory'): string {
  if (format === 'html') return renderHtml(d);
  if (format === 'csv') return renderCsv(d, dataset);
  return `${JSON.stringify(reportToJson(d))}\n`;
}

/** Replace `file` whole: written beside it, then renamed, so a reader (a browser, the daemon's viewer) never sees half a report. */
export function writeReportFile(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text, { mode: 0o644 });
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new MasyncError(`cannot write the report to ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { file }, { cause: err });
  }
}
