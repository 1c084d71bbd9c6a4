// Judging a change is each kind's own (alerting/kinds/): these are the entry points by rule.
export { conditions, judge, resolutions, restates, type Measure, type Verdict } from './kinds';
