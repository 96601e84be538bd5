/** One `Read` shape for every source's field readers (src/core/read-result.ts). */
export { fail, ok, type Failure, type Read } from '../../core/read-result.ts';
