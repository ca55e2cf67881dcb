"""Projects service: objectives, projects, milestones, highlights, RAID (schema `projects`)."""
