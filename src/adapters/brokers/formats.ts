/**
 * Every file format `lotsmith import` reads besides case files, recognized by content.
 */
import type { FileFormat } from '../../app/importBatch.js';

export const FILE_FORMATS: readonly FileFormat[] = [];

/** The first format that recognizes the file, or undefined. */
export function detectFormat(fileName: string, text: string): FileFormat | undefined {
  return FILE_FORMATS.find((f) => f.sniff(fileName, text));
}
