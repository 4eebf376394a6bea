/** Fault-injecting undici interceptors (`dispatch => dispatch`), one per file, and their composition. */
export { dropRequest, type DropRequestOptions } from './drop-request.js';
export { delay, type DelayOptions, type DelaySide } from './delay.js';
export { duplicate, type DuplicateOptions } from './duplicate.js';
export { dropResponseAfterForward, type DropResponseAfterForwardOptions } from './drop-response-after-forward.js';
export { partition, inWindow, type PartitionOptions, type PartitionWindow } from './partition.js';
export { faultInterceptors, type FaultInterceptorContext, type LinkFaultSettings } from './fault-interceptors.js';
export {
  InjectedFaultError,
  isInjectedFault,
  type FaultReport,
  type FaultReporter,
  type InjectedFaultCode,
  type InterceptorFault,
  type SeededFaultOptions,
} from './injected-fault.js';
