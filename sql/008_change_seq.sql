-- 008: one sequence orders every change to a record (a new version, or a
-- retraction of the current one), so a higher office can pull "what changed
-- since cursor N" without re-reading everything.
CREATE SEQUENCE record_change_seq;

ALTER TABLE activity ADD COLUMN change_seq bigint NOT NULL DEFAULT nextval('record_change_seq');
ALTER TABLE indicator_value ADD COLUMN change_seq bigint NOT NULL DEFAULT nextval('record_change_seq');
ALTER TABLE honor ADD COLUMN change_seq bigint NOT NULL DEFAULT nextval('record_change_seq');
CREATE INDEX activity_change_idx ON activity (change_seq);
CREATE INDEX indicator_value_change_idx ON indicator_value (change_seq);
CREATE INDEX honor_change_idx ON honor (change_seq);

-- A retraction changes a row in place (retracted_at); it is a change too.
CREATE OR REPLACE FUNCTION hz_bump_change_seq()
RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.change_seq := nextval('record_change_seq');
    RETURN NEW;
END
$$;

CREATE TRIGGER activity_retract_seq BEFORE UPDATE OF retracted_at ON activity
    FOR EACH ROW WHEN (OLD.retracted_at IS DISTINCT FROM NEW.retracted_at)
    EXECUTE FUNCTION hz_bump_change_seq();
CREATE TRIGGER indicator_value_retract_seq BEFORE UPDATE OF retracted_at ON indicator_value
    FOR EACH ROW WHEN (OLD.retracted_at IS DISTINCT FROM NEW.retracted_at)
    EXECUTE FUNCTION hz_bump_change_seq();
CREATE TRIGGER honor_retract_seq BEFORE UPDATE OF retracted_at ON honor
    FOR EACH ROW WHEN (OLD.retracted_at IS DISTINCT FROM NEW.retracted_at)
    EXECUTE FUNCTION hz_bump_change_seq();
