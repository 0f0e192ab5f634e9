// Public surface of the CSV import building blocks (pure: no Nest, no database).
export { readCustomerCsv, splitFullName } from './customer-import';
export { readOrderCsv } from './order-import';
export { ImportReader } from './import.runner';
export { detectEncoding, type DetectedEncoding, type EncodingGuess } from './csv-encoding';
export { detectDelimiter, readCsvRecords, newReadState, type CsvDialect, type CsvReadState } from './csv-reader';
export { CsvTokenizer, type CsvRecord } from './csv-tokenizer';
export {
  CUSTOMER_FIELDS,
  ORDER_FIELDS,
  CUSTOMER_HEADER,
  ORDER_HEADER,
  mapHeader,
  normaliseHeader,
  type CustomerField,
  type OrderField,
  type HeaderMapping,
} from './header-mapping';
export * from './import.types';
export {
  attributeKeysOf,
  importTargets,
  mappingOf,
  mappingProblems,
  previewCsv,
  type CsvPreview,
  type ImportFileKind,
  type MappingProblem,
} from './csv-preview';
