-- v3: staff kept in the database and the audit log (filled in by the staff work)
SELECT 1;
