// One BackendPicker per Service port (its round-robin position and affinity table), made on
// first use and remade when the Service's affinity setting changes.
import type { PassiveHealth } from './health.js';
import { BackendPicker } from './picker.js';

export class PickerRegistry {
  private readonly pickers = new Map<string, { picker: BackendPicker; affinityMs?: number }>();

  constructor(private readonly health: PassiveHealth) {}

  /** The picker for `serviceKey#portName`; affinityMs set for sessionAffinity ClientIP. */
  get(key: string, affinityMs?: number): BackendPicker {
    const entry = this.pickers.get(key);
    if (entry && entry.affinityMs === affinityMs) {
      return entry.picker;
    }
    const picker = new BackendPicker(this.health, affinityMs);
    this.pickers.set(key, affinityMs === undefined ? { picker } : { picker, affinityMs });
    return picker;
  }

  /** Forgets the pickers of a Service that is gone. */
  dropService(serviceKey: string): void {
    for (const key of this.pickers.keys()) {
      if (key.startsWith(`${serviceKey}#`)) {
        this.pickers.delete(key);
      }
    }
  }
}
