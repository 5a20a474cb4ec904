-- The design's append: an insert numbered by the sequence, no lock shared with other writers.
insert into audit_unsealed values (gen_random_uuid()::text, 'realm-1', nextval('audit_unsealed_order'),
  (extract(epoch from clock_timestamp()) * 1000)::bigint, 'bench', 'test.synthetic', repeat('x', 200));
