/**
 * An order-independent digest of a replica: the set of (aggregate, version) pairs folded into two
 * 32-bit sums of FNV-1a hashes. Devices and the server's final state are digested the same way,
 * so convergence is a comparison of two short strings per device.
 */
const FNV_PRIME = 0x01000193;
const BASIS_A = 0x811c9dc5;
const BASIS_B = 0x01000193;
/** Incremental digest of a set of (aggregate key, version) pairs. */
export class ReplicaDigest {
    a = 0;
    b = 0;
    n = 0;
    /**
     * Adds one pair (each aggregate once). Both hashes are FNV-1a over the text `<agg>@<version>`,
     * computed in one loop without building that string.
     */
    add(agg, version) {
        let ha = BASIS_A;
        let hb = BASIS_B;
        for (let i = 0; i < agg.length; i++) {
            const c = agg.charCodeAt(i);
            ha = Math.imul(ha ^ c, FNV_PRIME);
            hb = Math.imul(hb ^ c, FNV_PRIME);
        }
        ha = Math.imul(ha ^ 64 /* @ */, FNV_PRIME);
        hb = Math.imul(hb ^ 64, FNV_PRIME);
        const digits = (version | 0) === version && version >= 0 ? null : String(version);
        if (digits === null) {
            // Decimal digits of a non-negative 31-bit integer, most significant first (exact arithmetic).
            let p = 1;
            while (p * 10 <= version)
                p *= 10;
            for (; p >= 1; p = (p / 10) | 0) {
                const c = 48 + (((version / p) | 0) % 10);
                ha = Math.imul(ha ^ c, FNV_PRIME);
                hb = Math.imul(hb ^ c, FNV_PRIME);
            }
        }
        else {
            for (let i = 0; i < digits.length; i++) {
                const c = digits.charCodeAt(i);
                ha = Math.imul(ha ^ c, FNV_PRIME);
                hb = Math.imul(hb ^ c, FNV_PRIME);
            }
        }
        this.a = (this.a + (ha >>> 0)) >>> 0;
        this.b = (this.b + (hb >>> 0)) >>> 0;
        this.n++;
    }
    /** 16 hex characters. */
    toString() {
        return this.a.toString(16).padStart(8, '0') + this.b.toString(16).padStart(8, '0');
    }
}
