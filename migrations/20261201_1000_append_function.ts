import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  // The whole append in one call, one round trip: a group of appends (one per caller, any
  // streams) sent as one jsonb document, each judged on its own so one caller's conflict never
  // fails another's. The head row lock orders the log (docs/architecture.md); a volatile
  // function takes a fresh snapshot per statement, so everything after the lock sees the
  // appender that held it before us. The lock is held to the end of the calling transaction.
  // Custom plans: with the generic plans PL/pgSQL caches after five calls, the statements on
  // jsonb arrays of unknown size degraded with the size of the log (12k → 1.6k events/s over
  // 30k events in batches of 100); planned per call they stay flat.
  //
  // calls: [{stream, expected: int|null, base: int|null, baseLast: uuid|null,
  //          events: [{id, type, sv, data, meta, at}]}]
  // returns, per call: {status: appended|stored, version, appended, events: [{id, position, version}]}
  //   | {status: version_conflict, actual} | {status: stale, actual} | {status: id_conflict, id}
  await sql`
    create function parley_append(calls jsonb) returns jsonb language plpgsql
    set plan_cache_mode = force_custom_plan as $$
    declare
      head bigint;
      moved boolean := false;
      stamp timestamptz;
      call jsonb;
      results jsonb := '[]'::jsonb;
      conflict uuid;
      fresh jsonb;
      fresh_count int;
      current_version int;
      current_last uuid;
      ids uuid[];
    begin
      select position into head from event_store_head for update;
      stamp := (select recorded_at from events where global_position = head);
      for call in select value from jsonb_array_elements(calls) loop
        -- Lookups by id go through "id = any(ids)", an index probe per id.
        ids := array(select (x.ev->>'id')::uuid from jsonb_array_elements(call->'events') x(ev));
        -- Idempotency first: the same id with the same content is a retry; other content, a conflict.
        select e.id into conflict
        from events e
        join jsonb_array_elements(call->'events') x(ev) on (x.ev->>'id')::uuid = e.id
        where e.id = any(ids)
          and (e.stream_id <> call->>'stream' or e.type <> x.ev->>'type'
           or e.occurred_at <> (x.ev->>'at')::timestamptz or e.data <> x.ev->'data'
           or (e.metadata->'source') is distinct from (x.ev->'meta'->'source'))
        limit 1;
        if conflict is not null then
          results := results || jsonb_build_array(jsonb_build_object('status', 'id_conflict', 'id', conflict));
          continue;
        end if;
        select coalesce(jsonb_agg(x.ev order by x.ord), '[]'::jsonb) into fresh
        from jsonb_array_elements(call->'events') with ordinality x(ev, ord)
        where (x.ev->>'id')::uuid <> all (array(select e.id from events e where e.id = any(ids)));
        fresh_count := jsonb_array_length(fresh);
        select e.stream_version, e.id into current_version, current_last
        from events e where e.stream_id = call->>'stream' order by e.stream_version desc limit 1;
        current_version := coalesce(current_version, 0);
        if fresh_count > 0 then
          -- Then the caller's expected version, then the version its rules were checked on.
          if call->'expected' <> 'null'::jsonb and (call->>'expected')::int <> current_version then
            results := results || jsonb_build_array(jsonb_build_object('status', 'version_conflict', 'actual', current_version));
            continue;
          end if;
          if call->'base' <> 'null'::jsonb and ((call->>'base')::int <> current_version
              or (call->'baseLast' <> 'null'::jsonb and current_last is distinct from (call->>'baseLast')::uuid)) then
            results := results || jsonb_build_array(jsonb_build_object('status', 'stale', 'actual', current_version));
            continue;
          end if;
          -- Never earlier than the previous append's, never ahead of the clock otherwise.
          stamp := greatest(date_trunc('milliseconds', clock_timestamp()), stamp);
          insert into events (global_position, id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at, recorded_at)
          select head + x.ord, (x.ev->>'id')::uuid, call->>'stream', current_version + x.ord, x.ev->>'type',
                 (x.ev->>'sv')::int, x.ev->'data', x.ev->'meta', (x.ev->>'at')::timestamptz, stamp
          from jsonb_array_elements(fresh) with ordinality x(ev, ord);
          head := head + fresh_count;
          current_version := current_version + fresh_count;
          moved := true;
        end if;
        results := results || jsonb_build_array(jsonb_build_object(
          'status', case when fresh_count > 0 then 'appended' else 'stored' end,
          'version', current_version,
          'appended', fresh_count,
          'events', (select jsonb_agg(jsonb_build_object('id', e.id, 'position', e.global_position, 'version', e.stream_version))
                     from events e where e.id = any(ids))));
      end loop;
      if moved then
        update event_store_head set position = head;
        perform pg_notify('parley_events', head::text);
      end if;
      return results;
    end $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function parley_append(jsonb)`.execute(db);
}
