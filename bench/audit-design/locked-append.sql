-- Today's shape: the head locked, the entry chained and inserted, the head moved, then commit.
with head as (select last_seq, last_hash from audit_head where realm_id = 'realm-1' for update),
entry as (
  insert into audit_entry
  select gen_random_uuid()::text, 'realm-1', head.last_seq + 1, (extract(epoch from clock_timestamp()) * 1000)::bigint,
         'bench', 'test.synthetic', repeat('x', 200), head.last_hash,
         encode(sha256(convert_to(head.last_hash || 'realm-1' || (head.last_seq + 1) || 'bench' || repeat('x', 200), 'UTF8')), 'hex')
  from head
  returning seq, hash)
update audit_head set last_seq = entry.seq, last_hash = entry.hash from entry where audit_head.realm_id = 'realm-1';
