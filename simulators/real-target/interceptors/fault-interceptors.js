import { delay } from './delay.js';
import { dropRequest } from './drop-request.js';
import { dropResponseAfterForward } from './drop-response-after-forward.js';
import { duplicate } from './duplicate.js';
import { partition } from './partition.js';
/**
 * The interceptors for `dispatcher.compose(...)`, in the documented order. Classes at 0 are left
 * out (they would draw nothing anyway).
 */
export function faultInterceptors(settings, ctx) {
    const base = { seed: ctx.random, ...(ctx.onFault ? { onFault: ctx.onFault } : {}), ...(ctx.active ? { active: ctx.active } : {}) };
    const out = [];
    if (settings.dropResponseAfterForward > 0)
        out.push(dropResponseAfterForward({ ...base, probability: settings.dropResponseAfterForward }));
    if (settings.duplicate > 0)
        out.push(duplicate({ ...base, probability: settings.duplicate, delayMsMax: settings.delayMsMax }));
    if (settings.delay > 0) {
        out.push(delay({ ...base, probability: settings.delay, delayMsMax: settings.delayMsMax, ...(settings.delaySide ? { side: settings.delaySide } : {}) }));
    }
    if (settings.dropRequest > 0)
        out.push(dropRequest({ ...base, probability: settings.dropRequest }));
    if (settings.partitions.length > 0) {
        out.push(partition(settings.partitions, { ...(ctx.onFault ? { onFault: ctx.onFault } : {}), ...(ctx.origin !== undefined ? { origin: ctx.origin } : {}) }));
    }
    return out;
}
