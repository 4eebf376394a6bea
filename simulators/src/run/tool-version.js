/** The syncproof version recorded in histories and repro files. */
import { readFileSync } from 'node:fs';
function readVersion() {
    try {
        const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
        return pkg.version ?? '0.0.0';
    }
    catch {
        return '0.0.0';
    }
}
/** `version` from the repository's package.json. */
export const TOOL_VERSION = readVersion();
