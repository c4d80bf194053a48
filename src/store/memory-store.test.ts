import { openMemoryStore } from './index.js';
import { storeContract } from './store.contract.js';

storeContract('memory', () => openMemoryStore());
