-- Two shapes of the audit trail's write path, in SQL, on a scratch database. The columns and the
-- hash input follow OG_AUDIT_ENTRY and AuditChain closely enough for the write cost; this is a
-- model of the cost, not the extension's schema.
create table audit_head (realm_id varchar(36) primary key, last_seq bigint not null, last_hash varchar(64) not null);
insert into audit_head values ('realm-1', 0, repeat('0', 64));

create table audit_entry (
  id varchar(36) primary key,
  realm_id varchar(36) not null,
  seq bigint not null,
  at bigint not null,
  actor varchar(64) not null,
  type varchar(64) not null,
  details varchar(4000) not null,
  prev_hash varchar(64) not null,
  hash varchar(64) not null,
  unique (realm_id, seq)
);

-- The design: entries written in the business transaction without the head, numbered by a
-- sequence (a rolled-back writer leaves a hole here, never in the chain).
create sequence audit_unsealed_order;
create table audit_unsealed (
  id varchar(36) primary key,
  realm_id varchar(36) not null,
  written bigint not null,
  at bigint not null,
  actor varchar(64) not null,
  type varchar(64) not null,
  details varchar(4000) not null
);
create index audit_unsealed_realm_written on audit_unsealed (realm_id, written);

-- The sealer: one transaction takes the head once, gives the next gap-free numbers to the
-- committed unsealed entries in the order they were written, chains their hashes, and commits.
create function seal(p_realm varchar, p_max int) returns int language plpgsql as $$
declare
  head record;
  entry record;
  sealed int := 0;
  hash varchar(64);
begin
  select last_seq, last_hash into head from audit_head where realm_id = p_realm for update;
  for entry in select * from audit_unsealed where realm_id = p_realm order by written limit p_max loop
    head.last_seq := head.last_seq + 1;
    hash := encode(sha256(convert_to(head.last_hash || p_realm || head.last_seq || entry.at || entry.actor
                          || entry.type || entry.details, 'UTF8')), 'hex');
    insert into audit_entry values (entry.id, p_realm, head.last_seq, entry.at, entry.actor, entry.type,
                                    entry.details, head.last_hash, hash);
    delete from audit_unsealed where id = entry.id;
    head.last_hash := hash;
    sealed := sealed + 1;
  end loop;
  update audit_head set last_seq = head.last_seq, last_hash = head.last_hash where realm_id = p_realm;
  return sealed;
end $$;
