-- How far the running computation of a restitution is: its stage (the engine's own names:
-- analyse, doublons, themes, synthese) and the percentage of the whole, written by the job at
-- most every two seconds, so that the page can say more than "en cours".
ALTER TABLE restitutions ADD COLUMN progress_stage TEXT NOT NULL DEFAULT '';
ALTER TABLE restitutions ADD COLUMN progress_percent INTEGER NOT NULL DEFAULT 0;
