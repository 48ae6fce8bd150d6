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
      const near = table.columns.filter((c) => c.name.includes(use.column) || use.column.includes(c.name)).map((c) => c.name);
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
