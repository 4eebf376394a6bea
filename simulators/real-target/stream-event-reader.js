import { safeSetTimeout } from './interceptors/_internals/handlers.js';
function relative(prefix, messages) {
    const p = `${prefix}.`;
    return messages.map((m) => ({ subject: m.subject.startsWith(p) ? m.subject.slice(p.length) : m.subject, body: m.body }));
}
/** The reader of `layout` for module `module`. */
export function streamEventReader(source, layout, module) {
    let settled;
    return {
        async read(tenantId, since) {
            // One settle per run, not per tenant: the relay had the whole wait to catch up.
            settled ??= new Promise((resolve) => safeSetTimeout(resolve, layout.settleMs ?? 1_000));
            await settled;
            const events = relative(layout.subjectPrefix, await source.read(layout.stream, `${layout.subjectPrefix}.${tenantId}.${module}.>`, since));
            if (layout.auditStream === undefined || layout.auditSubjectPrefix === undefined)
                return { events };
            const audit = relative(layout.auditSubjectPrefix, await source.read(layout.auditStream, `${layout.auditSubjectPrefix}.${tenantId}.${module}.>`, since));
            return { events, audit };
        },
    };
}
