import { createMemoryStore } from '../../src/stores/memory/memory-store.js';
import { defineStoreContract } from './store-contract.js';

defineStoreContract('memory', async (options) => createMemoryStore(options?.beforeCommit ? { beforeCommit: options.beforeCommit } : {}));
