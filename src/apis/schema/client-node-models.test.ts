// Tests: Reading client-node's generated models: types, descriptions, required fields, Quantity table.
import { describe, expect, it } from 'vitest';
import { clientNodeModelsDir, readRawModel } from './client-node-models.js';
import { quantityFieldTable } from './quantity-fields.js';
import { createSchemaRegistry } from './registry.js';

const dir = clientNodeModelsDir();

describe('readRawModel', () => {
  it('reads fields, types, descriptions and required flags', () => {
    const spec = readRawModel(dir, 'V1DeploymentSpec');
    expect(spec?.description).toBe(
      'DeploymentSpec is the specification of the desired behavior of the Deployment.',
    );
    const byName = new Map(spec?.fields.map((f) => [f.jsonName, f]));
    expect(byName.get('replicas')).toMatchObject({
      type: 'number',
      format: 'int32',
      required: false,
    });
    expect(byName.get('replicas')?.description).toMatch(/^Number of desired pods/);
    expect(byName.get('selector')).toMatchObject({ type: 'V1LabelSelector', required: true });
    expect(byName.get('template')).toMatchObject({ type: 'V1PodTemplateSpec', required: true });
  });

  it('uses the JSON names of renamed fields and unescapes descriptions', () => {
    const listMeta = readRawModel(dir, 'V1ListMeta');
    expect(listMeta?.fields.map((f) => f.jsonName)).toContain('continue');
    const apiService = readRawModel(dir, 'V1APIService');
    expect(apiService?.description).toContain('"version.group"');
  });

  it('answers undefined for unknown or odd names', () => {
    expect(readRawModel(dir, 'V1NoSuchThing')).toBeUndefined();
    expect(readRawModel(dir, '../V1Pod')).toBeUndefined();
  });
});

describe('quantity fields', () => {
  it('marks resources.limits as a ResourceList of Quantities', () => {
    const registry = createSchemaRegistry();
    const field = registry.model('V1ResourceRequirements')?.fields.get('limits');
    expect(field?.type).toEqual({ t: 'map', values: { t: 'quantity' } });
    expect(field?.goType).toBe('v1.ResourceList');
    expect(registry.model('V1EmptyDirVolumeSource')?.fields.get('sizeLimit')?.type).toEqual({
      t: 'quantity',
    });
  });

  it('names only fields client-node has as strings', () => {
    for (const [className, fields] of Object.entries(quantityFieldTable())) {
      const raw = readRawModel(dir, className);
      expect(raw, className).toBeDefined();
      for (const name of Object.keys(fields)) {
        const field = raw?.fields.find((f) => f.jsonName === name);
        expect(field?.type, `${className}.${name}`).toMatch(
          /^(string|\{ \[key: string\]: string; \})$/,
        );
      }
    }
  });
});
