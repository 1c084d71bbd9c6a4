import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here. The third parley_append, as migration
// 20261204_0900 installs it; its next change is a new file beside this one, so the change reads
// as a diff of the two.
//
// As the second (20261201_1500: set-based, generic plans, no sequential scans, no JIT, the
// version and chain checks in memory in queue order), except that:
// - stored events are found with one probe per event into arrays aligned with the events, and
//   each call reads its own slice: linear in the events, and done before the lock (only ids
//   not found stored are looked at again under it). The second compared every event with every
//   stored id (`<> all`) under the log's lock, quadratic when a large file was imported again;
// - each row records whether it ends its append (`ends_append`: the last new event of its
//   call), so a reader of the log knows where an append ends without guessing from recorded
//   times or peeking at the next row (alert evaluation judges whole appends).
//
// calls: [{stream, expected: int|null, base: int|null, baseLast: uuid|null,
//          events: [{id, type, sv, data, meta, at}]}]
// returns, per call:
//   {status: appended|stored, version, appended, first: position before its first new event,
//    stored: [{id, position, version}] in the call's order}   (new events follow first and version - appended)
//   | {status: version_conflict, actual} | {status: stale, actual} | {status: id_conflict, id} (the call's first)
export async function createParleyAppendV3(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function parley_append(calls jsonb) returns jsonb language plpgsql
    set plan_cache_mode = force_generic_plan set enable_seqscan = off set jit = off as $$
    declare
      head bigint;
      start_head bigint;
      stamp timestamptz;
      n int := jsonb_array_length(calls);
      c_stream text[]; c_expected int[]; c_base int[]; c_base_last uuid[]; c_count int[];
      e_call int[]; e_ord int[]; e_id uuid[]; e_type text[]; e_sv int[]; e_data jsonb[]; e_meta jsonb[]; e_at timestamptz[];
      s_stream text[]; s_version int[]; s_last uuid[];
      e_stored boolean[]; e_pos bigint[]; e_ver int[]; e_bad boolean[]; any_stored boolean := false;
      k_stored_count int[] := array_fill(0, array[n]); k_conflict uuid[] := array_fill(null::uuid, array[n]);
      k_stored jsonb[] := array_fill('[]'::jsonb, array[n]); k_last_fresh uuid[] := array_fill(null::uuid, array[n]);
      c_first bigint[] := array_fill(null::bigint, array[n]);
      c_before int[] := array_fill(null::int, array[n]);
      c_fresh int[] := array_fill(0, array[n]);
      results jsonb := '[]'::jsonb;
      offs int := 0;
      k int; s int; cur int; stored_count int; fresh int; conflict uuid; last_fresh uuid; stored jsonb; lo int; hi int; pass int;
    begin
      select array_agg(c->>'stream' order by o), array_agg((c->>'expected')::int order by o),
             array_agg((c->>'base')::int order by o), array_agg((c->>'baseLast')::uuid order by o),
             array_agg(jsonb_array_length(c->'events') order by o)
        into c_stream, c_expected, c_base, c_base_last, c_count
        from jsonb_array_elements(calls) with ordinality t(c, o);
      -- One sort, then aggregates in that order (each ORDER BY inside an aggregate sorts anew).
      select array_agg(u.call), array_agg(u.ord), array_agg(u.id), array_agg(u.type),
             array_agg(u.sv), array_agg(u.data), array_agg(u.meta), array_agg(u.at)
        into e_call, e_ord, e_id, e_type, e_sv, e_data, e_meta, e_at
        from (select t.o::int as call, x.k::int as ord, (x.ev->>'id')::uuid as id, x.ev->>'type' as type,
                     (x.ev->>'sv')::int as sv, x.ev->'data' as data, x.ev->'meta' as meta, (x.ev->>'at')::timestamptz as at
                from jsonb_array_elements(calls) with ordinality t(c, o),
                     jsonb_array_elements(t.c->'events') with ordinality x(ev, k)
               order by t.o, x.k) u;
      -- Idempotency, looked at before the lock: an event found stored stays stored (the log is
      -- append-only), so the work that grows with a stored file (one probe per event, then each
      -- call's slice: stored or not, its position, other content or not) runs while other
      -- appends hold the lock. (A per-call scan of all stored ids under the lock was quadratic:
      -- re-importing 130k lines took 51 s.) Under the lock, only the ids not found stored are
      -- looked at again: another session may have stored one meanwhile (usually none, one scan).
      for pass in 1..2 loop
        if pass = 1 then
          any_stored := exists (select from events e where e.id = any(e_id));
        else
          select position into head from event_store_head for update;
          exit when not exists (select from events e
                                where e.id = any(case when any_stored then (select array_agg(x.id) from unnest(e_id, e_stored) x(id, st) where not x.st) else e_id end));
          any_stored := true;
        end if;
        if any_stored then
          select array_agg(e.id is not null order by x.i), array_agg(e.global_position order by x.i), array_agg(e.stream_version order by x.i),
                 array_agg(e.id is not null and (e.stream_id <> c_stream[x.call] or e.type <> x.type or e.occurred_at <> x.at or e.data <> x.data
                           or (e.metadata->'source') is distinct from (x.meta->'source')) order by x.i)
            into e_stored, e_pos, e_ver, e_bad
            from unnest(e_call, e_id, e_type, e_data, e_meta, e_at) with ordinality x(call, id, type, data, meta, at, i)
            left join events e on e.id = x.id;
          offs := 0;
          for k in 1..n loop
            lo := offs + 1; hi := offs + c_count[k];
            offs := hi;
            continue when c_count[k] = 0;
            select count(*) filter (where y.st), (array_agg(y.id order by y.i) filter (where y.bad))[1],
                   coalesce(jsonb_agg(jsonb_build_object('id', y.id, 'position', y.pos, 'version', y.ver) order by y.i) filter (where y.st), '[]'::jsonb),
                   (array_agg(y.id order by y.i desc) filter (where not y.st))[1]
              into stored_count, conflict, stored, last_fresh
              from unnest(e_id[lo:hi], e_stored[lo:hi], e_bad[lo:hi], e_pos[lo:hi], e_ver[lo:hi]) with ordinality y(id, st, bad, pos, ver, i);
            k_stored_count[k] := stored_count; k_conflict[k] := conflict; k_stored[k] := stored; k_last_fresh[k] := last_fresh;
          end loop;
        end if;
      end loop;
      -- From here on, under the lock, in log order.
      start_head := head;
      stamp := (select recorded_at from events where global_position = head);
      -- Each stream's version and last event, one index probe per stream.
      select array_agg(d.s), array_agg(coalesce(l.v, 0)), array_agg(l.id)
        into s_stream, s_version, s_last
        from (select distinct unnest(c_stream) s) d
        left join lateral (select e.stream_version v, e.id from events e where e.stream_id = d.s
                           order by e.stream_version desc limit 1) l on true;
      offs := 0;
      for k in 1..n loop
        stored_count := k_stored_count[k]; conflict := k_conflict[k]; stored := k_stored[k];
        last_fresh := case when not any_stored and c_count[k] > 0 then e_id[offs + c_count[k]] else k_last_fresh[k] end;
        offs := offs + c_count[k];
        if conflict is not null then
          results := results || jsonb_build_array(jsonb_build_object('status', 'id_conflict', 'id', conflict));
          continue;
        end if;
        s := array_position(s_stream, c_stream[k]);
        cur := s_version[s];
        fresh := c_count[k] - stored_count;
        if fresh > 0 then
          -- Then the caller's expected version, then the version its rules were checked on.
          if c_expected[k] is not null and c_expected[k] <> cur then
            results := results || jsonb_build_array(jsonb_build_object('status', 'version_conflict', 'actual', cur));
            continue;
          end if;
          if c_base[k] is not null and (c_base[k] <> cur or (c_base_last[k] is not null and s_last[s] is distinct from c_base_last[k])) then
            results := results || jsonb_build_array(jsonb_build_object('status', 'stale', 'actual', cur));
            continue;
          end if;
          c_first[k] := head;
          c_before[k] := cur;
          c_fresh[k] := fresh;
          head := head + fresh;
          cur := cur + fresh;
          s_version[s] := cur;
          s_last[s] := last_fresh;
        end if;
        results := results || jsonb_build_array(jsonb_build_object(
          'status', case when fresh > 0 then 'appended' else 'stored' end,
          'version', cur, 'appended', fresh, 'first', c_first[k], 'stored', stored));
      end loop;
      if head > start_head then
        -- Never earlier than the previous append's, never ahead of the clock otherwise.
        stamp := greatest(date_trunc('milliseconds', clock_timestamp()), stamp);
        if not any_stored then
          -- Nothing was stored: each call's new events are its events, in order.
          insert into events (global_position, id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at, recorded_at, ends_append)
          select c_first[x.call] + x.ord, x.id, c_stream[x.call], c_before[x.call] + x.ord, x.type, x.sv, x.data, x.meta, x.at, stamp, x.ord = c_fresh[x.call]
          from unnest(e_call, e_ord, e_id, e_type, e_sv, e_data, e_meta, e_at) x(call, ord, id, type, sv, data, meta, at)
          where c_first[x.call] is not null;
        else
          insert into events (global_position, id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at, recorded_at, ends_append)
          select c_first[f.call] + f.rank, f.id, c_stream[f.call], c_before[f.call] + f.rank, f.type, f.sv, f.data, f.meta, f.at, stamp, f.rank = c_fresh[f.call]
          from (select x.*, row_number() over (partition by x.call order by x.ord) as rank
                from unnest(e_call, e_ord, e_id, e_type, e_sv, e_data, e_meta, e_at, e_stored) x(call, ord, id, type, sv, data, meta, at, st)
                where c_first[x.call] is not null and not x.st) f;
        end if;
        update event_store_head set position = head;
        perform pg_notify('parley_events', head::text);
      end if;
      return results;
    end $$`.execute(db);
}
