// Dossiers in bulk for the benchmark: set-based SQL run as the owner, one INSERT ... SELECT per chunk
// of days, so that hundreds of thousands of rows take seconds rather than hours through the API.
// Every row is consistent with what the service would have written: a code numbered per agency and
// local day, the hash of the tracking secret ABCDEFGH, a procedure the agency performs, a status that
// fits its dates, the on-time outcome judged as on-time.ts judges it, and its processing log.
import pg from 'pg';

export const TRACKING_SECRET = 'ABCDEFGH';

/** Dossiers are spread over this many days, newest first. */
export const HISTORY_DAYS = 365;

export const FAMILY = ['Nguyễn', 'Nguyễn', 'Nguyễn', 'Trần', 'Lê', 'Phạm', 'Huỳnh', 'Hoàng', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý', 'Trương', 'Lâm'];
export const MIDDLE_MALE = ['Văn', 'Hữu', 'Đức', 'Minh', 'Quốc', 'Thanh', 'Công', 'Hoàng', 'Trung', 'Tấn'];
export const MIDDLE_FEMALE = ['Thị', 'Ngọc', 'Thu', 'Thanh', 'Kim', 'Mỹ', 'Hồng', 'Thị Thu', 'Thị Ngọc', 'Phương'];
export const GIVEN_MALE = ['An', 'Bình', 'Cường', 'Dũng', 'Hải', 'Hiếu', 'Hùng', 'Khang', 'Long', 'Nam', 'Phong', 'Quân', 'Sơn', 'Tài', 'Thắng', 'Trí', 'Tuấn', 'Việt', 'Vinh', 'Khải'];
export const GIVEN_FEMALE = ['Anh', 'Châu', 'Dung', 'Giang', 'Hà', 'Hạnh', 'Hương', 'Lan', 'Linh', 'Mai', 'My', 'Ngân', 'Nhung', 'Oanh', 'Quyên', 'Thảo', 'Trang', 'Uyên', 'Yến', 'Diễm'];
const BUSINESS_TRADE = ['Thương mại', 'Xây dựng', 'Dịch vụ', 'Nông sản', 'Vận tải', 'Du lịch', 'Thủy sản', 'Cơ khí'];
const BUSINESS_NAME = ['Phú Thịnh', 'Hưng Phát', 'Minh Long', 'Tân Tiến', 'Đại Phát', 'Hoàng Gia', 'Thành Công', 'An Khang', 'Mekong', 'Sông Hậu'];
const STREETS = ['Trần Hưng Đạo', 'Nguyễn Trãi', 'Lê Lợi', 'Hai Bà Trưng', 'Lý Thường Kiệt', 'Nguyễn Văn Cừ', 'Hùng Vương', 'Quang Trung', '30 Tháng 4', 'Cách Mạng Tháng 8', '3 Tháng 2', 'Mậu Thân'];
const PHONE_PREFIXES = ['90', '91', '93', '94', '96', '97', '98', '32', '33', '34', '35', '36', '37', '38', '39', '70', '76', '77', '78', '79', '81', '82', '83', '84', '85', '86', '88', '89'];

/** `(ARRAY['a','b'])[1 + floor(r * 2)]`: one item of a constant list, chosen by the random column r. */
function pick(items: readonly string[], random: string): string {
  const literal = items.map((item) => `'${item.replace(/'/g, "''")}'`).join(',');
  return `(ARRAY[${literal}])[1 + floor(${random} * ${items.length})::int]`;
}

const LOCAL = `'Asia/Ho_Chi_Minh'`;

// $1 tenant ids (uuid[]), $2 rows, $3..$4 age in days [from, to), $5 "now" (fixed for the whole seed).
// Each CTE derives columns from the one before; the random draws are all made once, in `draw`. Most
// are MATERIALIZED: inlined, the count per province ran once per row, and every derived column was
// recomputed wherever a later step used it (a third faster this way).
export const CHUNK_SQL = `
WITH provinces AS MATERIALIZED (
  SELECT u.ord::int AS ord, t.id AS tenant_id, t.gso_code, t.name AS province_name,
         (SELECT count(*) FROM province_procedure pp WHERE pp.tenant_id = t.id AND pp.enabled)::int AS offered
  FROM unnest($1::uuid[]) WITH ORDINALITY AS u(id, ord) JOIN tenant t ON t.id = u.id
),
offer AS MATERIALIZED (
  -- what each province performs, numbered so that a random number picks one with an equality join
  -- (in code order, not by the random ids, so that every run favours the same procedures)
  SELECT pp.tenant_id, row_number() OVER (PARTITION BY pp.tenant_id ORDER BY p.code, a.code)::int AS pick,
         pp.procedure_id, pp.agency_id, a.code AS agency_code, p.field_code, p.name AS procedure_name,
         COALESCE(pp.fee_vnd, (p.fees -> 0 ->> 'amountVnd')::int, 0) AS fee_vnd,
         -- legal time in calendar days: working days stretch by 7/5; 0 is the same day
         CASE WHEN COALESCE(pp.processing_amount, p.processing_amount) = 0 THEN 0.4
              ELSE COALESCE(pp.processing_amount, p.processing_amount) * CASE p.processing_unit WHEN 'WORKING_DAYS' THEN 1.4 ELSE 1 END
         END AS legal_days
  FROM province_procedure pp
  JOIN procedure p ON p.id = pp.procedure_id
  JOIN agency a ON a.tenant_id = pp.tenant_id AND a.id = pp.agency_id
  WHERE pp.tenant_id = ANY($1::uuid[]) AND pp.enabled
),
draw AS MATERIALIZED (
  SELECT pr.tenant_id, pr.gso_code, pr.province_name,
         -- popular procedures: squaring the draw favours the first ones
         1 + floor(power(random(), 2) * pr.offered)::int AS pick,
         $3::int + floor(random() * ($4::int - $3::int))::int AS age_days,
         random() AS r_time, random() AS r_channel, random() AS r_receive, random() AS r_fate,
         random() AS r_speed, random() AS r_later, random() AS r_supplement, random() AS r_pause,
         random() AS r_family, random() AS r_middle, random() AS r_given, random() AS r_gender, random() AS r_birth,
         random() AS r_serial, random() AS r_phone, random() AS r_type, random() AS r_street
  FROM generate_series(1, $2::int) AS g
  JOIN provinces pr ON pr.ord = 1 + g % cardinality($1::uuid[])
),
intake AS MATERIALIZED (
  SELECT d.*, o.procedure_id, o.agency_id, o.agency_code, o.field_code, o.procedure_name, o.fee_vnd, o.legal_days,
         -- office hours (07:30-16:30 local) of the chosen day; nothing from later today
         LEAST((((($5::timestamptz AT TIME ZONE ${LOCAL})::date - d.age_days) + time '07:30' + d.r_time * interval '9 hours') AT TIME ZONE ${LOCAL}),
               $5::timestamptz - d.r_time * interval '1 hour') AS submitted_at,
         CASE WHEN d.r_channel < 0.6 THEN 'ONLINE' WHEN d.r_channel < 0.95 THEN 'IN_PERSON' ELSE 'POSTAL' END::"DossierChannel" AS channel,
         CASE WHEN d.r_fate < 0.02 THEN 'refuse' WHEN d.r_fate < 0.03 THEN 'stop' ELSE 'process' END AS fate,
         CASE WHEN d.r_supplement < 0.02 THEN 2 WHEN d.r_supplement < 0.10 THEN 1 ELSE 0 END AS supplements
  FROM draw d JOIN offer o ON o.tenant_id = d.tenant_id AND o.pick = d.pick
),
clock AS (
  SELECT i.*,
         -- online dossiers wait up to 20 hours for a clerk; at the counter they are received at once
         CASE WHEN i.channel = 'ONLINE' THEN i.submitted_at + i.r_receive * interval '20 hours' ELSE i.submitted_at END AS intake_at
  FROM intake i
),
plan AS MATERIALIZED (
  SELECT c.*,
         c.intake_at + c.legal_days * interval '1 day' AS due,
         -- 72 % well before the due date, 20 % on its last day, 8 % up to ten days late
         CASE WHEN c.r_speed < 0.72 THEN c.intake_at + c.legal_days * (0.1 + 0.7 * c.r_speed / 0.72) * interval '1 day'
              WHEN c.r_speed < 0.92 THEN c.intake_at + c.legal_days * interval '1 day' - (c.r_speed - 0.72) / 0.2 * interval '8 hours'
              ELSE c.intake_at + c.legal_days * interval '1 day' + (0.5 + (c.r_speed - 0.92) / 0.08 * 10) * interval '1 day' END AS finish,
         c.intake_at + c.legal_days * 0.8 * c.r_later * interval '1 day' AS stop
  FROM clock c
),
fated AS (
  SELECT p.*, p.finish + p.r_later * interval '3 days' AS pickup,
         CASE
           WHEN p.intake_at > $5 THEN 'SUBMITTED'
           WHEN p.fate = 'refuse' THEN 'REFUSED'
           WHEN p.fate = 'stop' AND p.stop <= $5 THEN 'STOPPED'
           WHEN p.fate = 'process' AND p.finish + p.r_later * interval '3 days' <= $5 THEN 'RETURNED'
           WHEN p.fate = 'process' AND p.finish <= $5 THEN 'RESULT_READY'
           WHEN p.supplements > 0 AND p.r_pause < 0.6 THEN 'SUPPLEMENT_REQUESTED'
           WHEN p.r_pause > 0.97 THEN 'AWAITING_PAYMENT'
           WHEN $5 - p.intake_at < interval '4 hours' THEN 'RECEIVED'
           ELSE 'IN_PROGRESS'
         END::"DossierStatus" AS status
  FROM plan p
),
shaped AS MATERIALIZED (
  SELECT f.*,
         CASE WHEN f.status IN ('SUBMITTED', 'REFUSED') THEN NULL ELSE f.intake_at END AS received_at,
         CASE WHEN f.status IN ('SUBMITTED', 'REFUSED') THEN NULL ELSE f.due END AS due_at,
         CASE WHEN f.status IN ('SUPPLEMENT_REQUESTED', 'AWAITING_PAYMENT') THEN f.intake_at + ($5 - f.intake_at) * (0.3 + 0.6 * f.r_later) END AS paused_at,
         CASE WHEN f.status IN ('SUBMITTED', 'REFUSED') THEN 0
              WHEN f.status = 'SUPPLEMENT_REQUESTED' THEN GREATEST(f.supplements, 1) ELSE f.supplements END AS supplement_requests,
         CASE WHEN f.status IN ('RESULT_READY', 'RETURNED') THEN f.finish END AS result_ready_at,
         CASE WHEN f.status = 'RETURNED' THEN f.pickup END AS returned_at,
         CASE f.status WHEN 'REFUSED' THEN f.intake_at WHEN 'STOPPED' THEN f.stop END AS stopped_at,
         f.r_type > 0.92 AS business,
         f.r_gender < 0.5 AS female,
         1950 + floor(f.r_birth * 57)::int AS birth_year,
         (f.submitted_at AT TIME ZONE ${LOCAL})::date AS local_day
  FROM fated f
),
judged AS MATERIALIZED (
  SELECT s.*, COALESCE(s.result_ready_at, s.returned_at, s.stopped_at) AS ended_at,
         -- judgeFinished (on-time.ts): two supplement requests are late; no due date is on time; then
         -- after the due instant is late, a local day before the due day is early
         CASE WHEN COALESCE(s.result_ready_at, s.returned_at, s.stopped_at) IS NULL THEN NULL
              WHEN s.supplement_requests > 1 THEN 'LATE'
              WHEN s.due_at IS NULL THEN 'ON_TIME'
              WHEN COALESCE(s.result_ready_at, s.returned_at, s.stopped_at) > s.due_at THEN 'LATE'
              WHEN (COALESCE(s.result_ready_at, s.returned_at, s.stopped_at) AT TIME ZONE ${LOCAL})::date < (s.due_at AT TIME ZONE ${LOCAL})::date THEN 'EARLY'
              ELSE 'ON_TIME' END::"FinishedOutcome" AS outcome,
         CASE WHEN s.business
              THEN 'Công ty TNHH ' || ${pick(BUSINESS_TRADE, 's.r_middle')} || ' ' || ${pick(BUSINESS_NAME, 's.r_given')}
              ELSE ${pick(FAMILY, 's.r_family')} || ' '
                   || CASE WHEN s.female THEN ${pick(MIDDLE_FEMALE, 's.r_middle')} ELSE ${pick(MIDDLE_MALE, 's.r_middle')} END || ' '
                   || CASE WHEN s.female THEN ${pick(GIVEN_FEMALE, 's.r_given')} ELSE ${pick(GIVEN_MALE, 's.r_given')} END
         END AS applicant_name,
         CASE WHEN s.business
              THEN '18' || lpad(floor(s.r_serial * 1e8)::bigint::text, 8, '0') -- enterprise code, 10 digits
              -- CCCD: 0 + province code, gender and century, year of birth, serial: 12 digits
              ELSE '0' || s.gso_code || ((CASE WHEN s.birth_year >= 2000 THEN 2 ELSE 0 END) + (CASE WHEN s.female THEN 1 ELSE 0 END))::text
                   || lpad((s.birth_year % 100)::text, 2, '0') || lpad(floor(s.r_serial * 1e6)::int::text, 6, '0')
         END AS applicant_id_number,
         -- the agency's sequence of the local day; past 9999 it simply grows (dossier-code.ts)
         row_number() OVER (PARTITION BY s.tenant_id, s.agency_id, s.local_day ORDER BY s.submitted_at) AS seq
  FROM shaped s
),
coded AS (
  SELECT j.*, j.agency_code || '-' || to_char(j.local_day, 'YYMMDD') || '-'
              || CASE WHEN j.seq < 10000 THEN lpad(j.seq::text, 4, '0') ELSE j.seq::text END AS code
  FROM judged j
),
inserted AS (
  INSERT INTO dossier (tenant_id, id, code, secret_hash, procedure_id, field_code, agency_id, channel, status, open,
                       applicant_name, applicant_id_number, applicant_type, applicant_phone, applicant_address, applicant_account,
                       summary, documents_provided, fee_vnd, paid, submitted_at, received_at, due_at, paused_at, supplement_requests,
                       result_ready_at, returned_at, stopped_at, ended_at, outcome, created_at, updated_at)
  SELECT c.tenant_id, gen_random_uuid(), c.code, encode(sha256(convert_to(c.code || ':' || '${TRACKING_SECRET}', 'UTF8')), 'hex'),
         c.procedure_id, c.field_code, c.agency_id, c.channel, c.status, c.status NOT IN ('REFUSED', 'STOPPED', 'RETURNED'),
         c.applicant_name, c.applicant_id_number,
         (CASE WHEN c.business THEN 'BUSINESS' ELSE 'CITIZEN' END)::"ApplicantType",
         '0' || ${pick(PHONE_PREFIXES, 'c.r_phone')} || lpad(floor(c.r_serial * 1e7)::int::text, 7, '0'),
         'Số ' || (1 + floor(c.r_street * 250)::int) || ' đường ' || ${pick(STREETS, 'c.r_street')} || ', ' || c.province_name,
         CASE WHEN c.channel = 'ONLINE' THEN c.applicant_id_number END,
         c.procedure_name || ' – ' || c.applicant_name, '{}', c.fee_vnd, c.status IN ('RESULT_READY', 'RETURNED'),
         c.submitted_at, c.received_at, c.due_at, c.paused_at, c.supplement_requests,
         c.result_ready_at, c.returned_at, c.stopped_at, c.ended_at, c.outcome,
         c.submitted_at, GREATEST(c.submitted_at, c.received_at, c.paused_at, c.result_ready_at, c.returned_at, c.stopped_at)
  FROM coded c
  RETURNING tenant_id, id, channel, status, submitted_at, received_at, due_at, paused_at, result_ready_at, returned_at, stopped_at
)
-- The processing log, move by move, as recordMove writes it (what tracking shows as history).
INSERT INTO dossier_log_entry (tenant_id, id, dossier_id, action, from_status, to_status, actor_role, step_due_at, at)
SELECT i.tenant_id, gen_random_uuid(), i.id, m.action, m.from_status::"DossierStatus", m.to_status::"DossierStatus", m.actor_role, m.step_due_at, m.at
FROM inserted i
CROSS JOIN LATERAL (VALUES
  ('SUBMIT', NULL, 'SUBMITTED', 'APPLICANT', NULL::timestamptz, CASE WHEN i.channel = 'ONLINE' THEN i.submitted_at END),
  ('RECEIVE', CASE WHEN i.channel = 'ONLINE' THEN 'SUBMITTED' END, 'RECEIVED', 'RECEIVING_CLERK', i.due_at, i.received_at),
  ('REFUSE', CASE WHEN i.channel = 'ONLINE' THEN 'SUBMITTED' END, 'REFUSED', 'RECEIVING_CLERK', NULL, CASE WHEN i.status = 'REFUSED' THEN i.stopped_at END),
  ('START_PROCESSING', 'RECEIVED', 'IN_PROGRESS', 'HANDLER', NULL,
   CASE WHEN i.status NOT IN ('SUBMITTED', 'RECEIVED', 'REFUSED')
        THEN i.received_at + (COALESCE(i.paused_at, i.stopped_at, i.result_ready_at, $5) - i.received_at) * 0.1 END),
  ('REQUEST_SUPPLEMENT', 'IN_PROGRESS', 'SUPPLEMENT_REQUESTED', 'HANDLER', NULL, CASE WHEN i.status = 'SUPPLEMENT_REQUESTED' THEN i.paused_at END),
  ('REQUEST_PAYMENT', 'IN_PROGRESS', 'AWAITING_PAYMENT', 'HANDLER', NULL, CASE WHEN i.status = 'AWAITING_PAYMENT' THEN i.paused_at END),
  ('STOP', 'IN_PROGRESS', 'STOPPED', 'LEADER', NULL, CASE WHEN i.status = 'STOPPED' THEN i.stopped_at END),
  ('FINISH', 'IN_PROGRESS', 'RESULT_READY', 'LEADER', NULL, i.result_ready_at),
  ('RETURN_RESULT', 'RESULT_READY', 'RETURNED', 'RECEIVING_CLERK', NULL, i.returned_at)
) AS m(action, from_status, to_status, actor_role, step_due_at, at)
WHERE m.at IS NOT NULL`;

/** A slice of history: dossiers submitted between `fromAge` and `toAge` days ago, and how many. */
export interface Chunk {
  fromAge: number;
  toAge: number;
  rows: number;
}

/**
 * Chunks of whole days (so that each agency's daily numbering is complete in one statement), about
 * `rowsPerChunk` rows each, covering ages [fromAge, toAge) with `total * days / HISTORY_DAYS` rows.
 */
export function planChunks(total: number, fromAge: number, toAge: number, rowsPerChunk = 25_000): Chunk[] {
  const perDay = total / HISTORY_DAYS;
  const daysPerChunk = Math.max(1, Math.floor(rowsPerChunk / Math.max(perDay, 1)));
  const chunks: Chunk[] = [];
  for (let from = fromAge; from < toAge; from += daysPerChunk) {
    const to = Math.min(from + daysPerChunk, toAge);
    // cumulative rounding: the chunks add up to exactly the share of these days
    const rows = Math.round(perDay * to) - Math.round(perDay * from);
    if (rows > 0) chunks.push({ fromAge: from, toAge: to, rows });
  }
  return chunks;
}

function progressBar(done: number, total: number, label: string) {
  const width = 30;
  const filled = Math.round((done / total) * width);
  const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${label}`;
  if (process.stderr.isTTY) process.stderr.write(`\r${line}${done === total ? '\n' : ''}`);
  else process.stderr.write(`${line}\n`);
}

/**
 * Inserts the chunks with their log entries, on `parallel` connections (chunks are independent: they
 * hold different days); the progress bar counts up to `progress.grandTotal`.
 */
export async function seedDossiers(
  ownerUrl: string,
  tenantIds: string[],
  chunks: Chunk[],
  now: Date,
  progress: { done: number; grandTotal: number },
  parallel = 2,
): Promise<void> {
  const queue = [...chunks];
  const worker = async () => {
    const client = new pg.Client({ connectionString: ownerUrl });
    await client.connect();
    try {
      // Every reference is drawn from existing rows, so the foreign-key triggers only cost time (a
      // quarter of it): replica mode skips them, for this session only.
      await client.query(`SET session_replication_role = replica`);
      for (let chunk = queue.shift(); chunk; chunk = queue.shift()) {
        // the same draws for the same days on every run (ids and "now" still differ)
        await client.query(`SELECT setseed($1)`, [(chunk.fromAge % 1000) / 1000]);
        await client.query(CHUNK_SQL, [tenantIds, chunk.rows, chunk.fromAge, chunk.toAge, now]);
        progress.done += chunk.rows;
        progressBar(progress.done, progress.grandTotal, 'dossiers');
      }
    } finally {
      await client.end();
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

/** The counters intake continues from, so that a dossier received during the run gets a fresh code. */
export async function fillCounters(owner: pg.Client): Promise<void> {
  await owner.query(`
    INSERT INTO dossier_counter (tenant_id, agency_id, day, last_value)
    SELECT tenant_id, agency_id, (submitted_at AT TIME ZONE ${LOCAL})::date, count(*)
    FROM dossier GROUP BY 1, 2, 3
    ON CONFLICT (tenant_id, agency_id, day) DO UPDATE SET last_value = EXCLUDED.last_value`);
}
