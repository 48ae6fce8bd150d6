/**
 * A mapping against the app's live schema (pure): every column it names exists with a type the field
 * can take (columnRules.ts), the keys are unique and not null, the rates' reference has the key's
 * type. Each problem names the mapping field and `schema.table.column`, the same rules the generated
 * SQL's guard applies.
 */
import { columnUses, describeTypes, keyTypesMatch } from './columnRules.ts';
import { isTablePrices, qualifiedTable, type Mapping } from './mapping.ts';
import type { MappingProblem } from './checkMapping.ts';
import type { LiveSchema } from './liveSchema.ts';

function tableKey(table: string): string {
  const t = qualifiedTable(table);
  return `${t.schema}.${t.table}`;
}

/** Edit distance, for "did you mean" (short names only). */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = row[j]!;
      row[j] = next;
    }
  }
  return row[b.length]!;
}

function nearNames(name: string, names: string[]): string[] {
  return names.filter((n) => n.includes(name) || name.includes(n) || distance(n, name) <= 2).slice(0, 3);
}

export function checkAgainstSchema(mapping: Mapping, live: LiveSchema): MappingProblem[] {
  const problems: MappingProblem[] = [];
  const missingTables = new Set<string>();
  for (const use of columnUses(mapping)) {
    const table = live[use.table];
    if (!table) {
      if (!missingTables.has(use.table)) {
        const path = use.field.startsWith('prices.') ? 'prices.table' : 'table';
        problems.push({ path, message: `${path}: table ${use.table} does not exist (create the app's tables first, or fix the name)` });
        missingTables.add(use.table);
      }
      continue;
    }
    const column = table.columns.find((c) => c.name === use.column);
    if (!column) {
      const near = nearNames(use.column, table.columns.map((c) => c.name));
      problems.push({
        path: use.field,
        message: `${use.field}: column ${use.table}.${use.column} does not exist${near.length ? ` (did you mean ${near.map((n) => `"${n}"`).join(' or ')}?)` : ''}`,
      });
      continue;
    }
    if (use.types.length > 0 && !use.types.includes(column.type)) {
      problems.push({
        path: use.field,
        message: `${use.field}: column ${use.table}.${use.column} is ${column.type}, but ${use.field} needs ${describeTypes(use.types)}; map another column or an expression with a cast ({"sql": "${use.column}::…"})`,
      });
    }
    if (use.unique && !(column.unique && column.notNull)) {
      problems.push({
        path: use.field,
        message: `${use.field}: column ${use.table}.${use.column} must be NOT NULL with a primary key or unique index on it alone (it says which space a row is): use the primary key`,
      });
    }
  }
  const prices = mapping.prices;
  if (isTablePrices(prices)) {
    const key = live[tableKey(mapping.table)]?.columns.find((c) => c.name === mapping.key);
    const ref = live[tableKey(prices.table)]?.columns.find((c) => c.name === prices.spaceKey);
    if (key && ref && !keyTypesMatch(key.type, ref.type)) {
      problems.push({
        path: 'prices.spaceKey',
        message: `prices.spaceKey: column ${tableKey(prices.table)}.${prices.spaceKey} is ${ref.type} but the key ${tableKey(mapping.table)}.${mapping.key} is ${key.type}: name the column that holds the key of its space`,
      });
    }
  }
  return problems;
}
