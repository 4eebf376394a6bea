/** Fault-injecting undici interceptors (`dispatch => dispatch`), one per file, and their composition. */
export { dropRequest } from './drop-request.js';
export { delay } from './delay.js';
export { duplicate } from './duplicate.js';
export { dropResponseAfterForward } from './drop-response-after-forward.js';
export { partition, inWindow } from './partition.js';
export { faultInterceptors } from './fault-interceptors.js';
export { InjectedFaultError, isInjectedFault, } from './injected-fault.js';
