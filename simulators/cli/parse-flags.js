/**
 * A small strict flag parser for the simulator commands: `--name value` or `--name=value`,
 * unknown flags and missing values are usage errors.
 */
import { UsageError } from '../../conformance/cli/usage-error.js';
/** Parses `args` against the allowed flag names; returns flag values and positional arguments. */
export function parseFlags(args, allowed, booleans = []) {
    const flags = new Map();
    const positional = [];
    for (let i = 0; i < args.length; i++) {
        const a = args[i];
        if (!a.startsWith('--')) {
            positional.push(a);
            continue;
        }
        const eq = a.indexOf('=');
        const name = a.slice(2, eq === -1 ? undefined : eq);
        if (booleans.includes(name)) {
            flags.set(name, 'true');
            continue;
        }
        if (!allowed.includes(name))
            throw new UsageError(`unknown option '--${name}'`);
        let value;
        if (eq !== -1)
            value = a.slice(eq + 1);
        else {
            value = args[i + 1];
            i++;
        }
        if (value === undefined || value === '')
            throw new UsageError(`option '--${name}' needs a value`);
        if (flags.has(name))
            throw new UsageError(`option '--${name}' given twice`);
        flags.set(name, value);
    }
    return { flags, positional };
}
/** An integer flag within [min, max], or the default. */
export function intFlag(flags, name, def, min, max) {
    const raw = flags.get(name);
    if (raw === undefined)
        return def;
    if (!/^-?\d+$/.test(raw))
        throw new UsageError(`--${name} must be an integer, got '${raw}'`);
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n < min || n > max)
        throw new UsageError(`--${name} must be between ${min} and ${max}, got ${raw}`);
    return n;
}
/** A positive number flag (e.g. hours), or the default. */
export function numberFlag(flags, name, def, min, max) {
    const raw = flags.get(name);
    if (raw === undefined)
        return def;
    if (!/^\d+(\.\d+)?$/.test(raw))
        throw new UsageError(`--${name} must be a number, got '${raw}'`);
    const n = Number(raw);
    if (n < min || n > max)
        throw new UsageError(`--${name} must be between ${min} and ${max}, got ${raw}`);
    return n;
}
