"""What runs of a job remember: job state (SQLite, or Redis when distributed), the job's
lock and the recrawl policy."""
