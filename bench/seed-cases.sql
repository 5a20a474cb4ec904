-- Seeds onboarding cases for the scale benchmark straight into the database (not through the API):
-- users seed-hire-<n> for n in :from..:to in realm :realm, each with a case. Stages as in a
-- company some years in: 90 % VERIFIED, 4 % EXPIRED, 3 % REJECTED, 3 % pending (PROBATION,
-- deadline in the future). Run with psql -v realm=<id> -v from=<n> -v to=<n> -v sponsor=<user id>.
\set ON_ERROR_STOP on
begin;
insert into user_entity (id, email, email_constraint, email_verified, enabled, first_name, last_name, realm_id,
                         username, created_timestamp, not_before)
select gen_random_uuid()::text, 'seed-hire-' || n || '@example.com', 'seed-hire-' || n || '@example.com', true, true,
       'Seed', 'Hire ' || n, :'realm', 'seed-hire-' || n, (extract(epoch from now()) * 1000)::bigint, 0
from generate_series(:from, :to) as n;

insert into og_case (id, realm_id, user_id, stage, sponsor_id, created_by, created_at, probation_started_at, deadline, version)
select gen_random_uuid()::text, u.realm_id, u.id,
       case when s.n % 100 < 90 then 'VERIFIED' when s.n % 100 < 94 then 'EXPIRED'
            when s.n % 100 < 97 then 'REJECTED' else 'PROBATION' end,
       :'sponsor', :'sponsor',
       (extract(epoch from now()) * 1000)::bigint - s.n::bigint * 60000,
       (extract(epoch from now()) * 1000)::bigint - s.n::bigint * 60000,
       (extract(epoch from now()) * 1000)::bigint + 30 * 86400000::bigint,
       0
from user_entity u
cross join lateral (select substring(u.username from 11)::int as n) s
where u.realm_id = :'realm' and u.username like 'seed-hire-%' and s.n between :from and :to;
commit;
analyze user_entity;
analyze og_case;
