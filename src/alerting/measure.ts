// Measuring is each kind's own (alerting/kinds/): this is the entry point by rule.
export { measure } from './kinds';
