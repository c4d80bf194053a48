import { describe, expect, it } from 'vitest';
import { columnWidths, formatCells, parseHpaTable, replicaChange } from './hpa-table.js';

const TABLE = `NAME                REFERENCE                      TARGETS        MINPODS   MAXPODS   REPLICAS   AGE
hello-world-flask   Deployment/hello-world-flask   cpu: 48%/50%   2         10        2          1s
`;

describe('parseHpaTable', () => {
  it('reads header and rows (TARGETS keeps its single space)', () => {
    expect(parseHpaTable(TABLE)).toEqual({
      header: ['NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE'],
      rows: [
        {
          cells: [
            'hello-world-flask',
            'Deployment/hello-world-flask',
            'cpu: 48%/50%',
            '2',
            '10',
            '2',
            '1s',
          ],
          targets: 'cpu: 48%/50%',
          minPods: 2,
          maxPods: 10,
          replicas: 2,
        },
      ],
    });
  });

  it.each([[''], ['No resources found in default namespace.\n'], ['NAME   AGE\nx   1s\n']])(
    'is undefined for %j',
    (text) => {
      expect(parseHpaTable(text)).toBeUndefined();
    },
  );

  it('reads <unknown> targets', () => {
    const text = TABLE.replace('cpu: 48%/50%', 'cpu: <unknown>/50%');
    expect(parseHpaTable(text)?.rows[0]?.targets).toBe('cpu: <unknown>/50%');
  });
});

describe('layout', () => {
  it('pads to steady widths with three spaces between columns, the last unpadded', () => {
    const table = parseHpaTable(TABLE);
    const header = table?.header ?? [];
    const widths = columnWidths(header, table?.rows[0]?.cells ?? []);
    expect(widths).toEqual([17, 28, 15, 7, 7, 8, 3]);
    expect(formatCells(header, widths)).toBe(
      'NAME                REFERENCE                      TARGETS           MINPODS   MAXPODS   REPLICAS   AGE',
    );
    const wider = [
      'hello-world-flask',
      'Deployment/hello-world-flask',
      'cpu: 187%/50%',
      '2',
      '10',
      '10',
      '22s',
    ];
    expect(formatCells(wider, widths)).toBe(
      'hello-world-flask   Deployment/hello-world-flask   cpu: 187%/50%     2         10        10         22s',
    );
  });

  it.each([
    [undefined, 2, ''],
    [2, 2, ''],
    [2, 4, 'scaled up 2 -> 4'],
    [10, 3, 'scaled down 10 -> 3'],
  ])('replicaChange(%s, %d) = %j', (previous, current, note) => {
    expect(replicaChange(previous, current)).toBe(note);
  });
});
