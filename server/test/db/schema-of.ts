import type { Sql } from '../../src/db/connection'

/**
 * A database's schema as sorted lines, from the catalogs: tables and their columns, constraints,
 * indexes, storage options, functions, triggers and comments. Two databases with the same lines
 * have the same schema as far as citydeck can tell; unlike pg_dump, it works whatever the
 * server's version (the embedded PostgreSQL 18 has no pg_dump beside it).
 */
export async function schemaOf(sql: Sql): Promise<string[]> {
  const rows = await sql<{ line: string }[]>`
    select format('column %s.%s %s null=%s default=%s generated=%s collation=%s', c.table_name,
      c.column_name, c.data_type, c.is_nullable, c.column_default, c.generation_expression,
      c.collation_name) as line
    from information_schema.columns c where c.table_schema = 'public'
    union all
    select format('constraint %s %s %s', conrelid::regclass, conname, pg_get_constraintdef(oid))
    from pg_constraint where connamespace = 'public'::regnamespace
    union all
    select format('index %s', indexdef) from pg_indexes where schemaname = 'public'
    union all
    select format('options %s %s', oid::regclass, reloptions) from pg_class
    where relnamespace = 'public'::regnamespace and reloptions is not null
    union all
    select format('function %s', pg_get_functiondef(p.oid)) from pg_proc p
    where p.pronamespace = 'public'::regnamespace
    union all
    select format('trigger %s', pg_get_triggerdef(oid)) from pg_trigger where not tgisinternal
    union all
    select format('comment %s %s', d.objoid::regclass, d.description) from pg_description d
    join pg_class k on k.oid = d.objoid and k.relnamespace = 'public'::regnamespace
    where d.classoid = 'pg_class'::regclass and d.objsubid = 0
    union all
    select format('comment %s.%s %s', d.objoid::regclass, a.attname, d.description) from pg_description d
    join pg_class k on k.oid = d.objoid and k.relnamespace = 'public'::regnamespace
    join pg_attribute a on a.attrelid = d.objoid and a.attnum = d.objsubid
    where d.classoid = 'pg_class'::regclass and d.objsubid > 0
    union all
    select format('comment function %s %s', d.objoid::regprocedure, d.description) from pg_description d
    join pg_proc p on p.oid = d.objoid and p.pronamespace = 'public'::regnamespace
    where d.classoid = 'pg_proc'::regclass`
  return rows.map((r) => r.line).sort()
}
