/**
 * Every broker file format Lotsmith reads, recognized by content (docs/imports.md). A file is
 * parsed by the first format whose sniff accepts it; the formats' sniffs are written so that no two
 * accept the same file.
 */
import type { FileFormat } from '../../app/importBatch.js';
import { beancountLedger } from './beancount.js';
import { fidelityHistory } from './fidelityHistory.js';
import { ibkrFlex } from './ibkrFlex.js';
import { ofxInvestment } from './ofxInvestment.js';
import { schwabLotDetails } from './schwabLotDetails.js';
import { schwabPositions } from './schwabPositions.js';
import { schwabTransactions } from './schwabTransactions.js';

export const FILE_FORMATS: readonly FileFormat[] = [
  schwabTransactions,
  schwabPositions,
  schwabLotDetails,
  fidelityHistory,
  ofxInvestment,
  ibkrFlex,
  beancountLedger,
];

export function detectFormat(fileName: string, text: string): FileFormat | undefined {
  return FILE_FORMATS.find((f) => f.sniff(fileName, text));
}
