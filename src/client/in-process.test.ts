// Runs the Client contract against the in-process client over the in-memory API.
import { createInMemoryApi } from '../api/in-memory.js';
import { clientContract } from './client.contract.js';

clientContract('in-process', () => {
  const api = createInMemoryApi();
  return Promise.resolve({
    client: api.client,
    stop: () => {
      api.store.close();
      return Promise.resolve();
    },
  });
});
