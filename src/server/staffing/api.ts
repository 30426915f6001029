// What other domains may call of staffing: counting a case's arrival (cases/lifecycle.ts, in
// the transaction that opens the case). Nothing here may import cases/api.ts (no cycle).
export { recordArrival, type Arrival } from './arrivals.js';
