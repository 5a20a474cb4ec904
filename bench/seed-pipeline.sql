-- After seed-cases.sql: what the pipeline summary reads. Verified seeded cases get a first
-- verification 2 to 97 hours after creation and a provisioning path; one in twenty cases gets a
-- risk signal of one of four rules. Run with psql -v realm=<id>.
\set ON_ERROR_STOP on
begin;
update og_case set path = case when substring(user_id from 1 for 1) < '8' then 'onboarding-api' else 'scim' end,
                   first_verified_at = case when stage = 'VERIFIED' then created_at + ((abs(hashtext(id)) % 96) + 2) * 3600000::bigint end,
                   verified_at = case when stage = 'VERIFIED' then created_at + ((abs(hashtext(id)) % 96) + 2) * 3600000::bigint end
where realm_id = :'realm';
insert into og_risk_signal (id, realm_id, case_id, user_id, rule, action, at, evidence, repeats)
select gen_random_uuid()::text, c.realm_id, c.id, c.user_id,
       (array['restricted_client', 'contact_change', 'shared_network', 'country_mismatch'])[(abs(hashtext(c.id)) % 4) + 1],
       'ALERT', c.created_at + 3600000, '{}', 1
from og_case c
where c.realm_id = :'realm' and abs(hashtext(c.id)) % 20 = 0;
commit;
analyze og_case;
analyze og_risk_signal;
