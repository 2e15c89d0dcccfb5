-- v2: pickup tracking and job runs (filled in by the schedule work)
SELECT 1;
