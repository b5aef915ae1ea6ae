-- Where a figure comes from: entered by an agency, published (press, statistics
-- yearbook), or illustrative (generated for a demonstration, never real).
ALTER TABLE value_versions ADD COLUMN origin TEXT NOT NULL DEFAULT 'entered';
