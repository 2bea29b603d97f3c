// SVD and the Hub's plan comparison word sizes the same way: the formatter lives in the contract.
export { formatBytes } from '@omg/contract';
