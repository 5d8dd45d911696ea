-- Open conversations carry the time of their latest turn (src/services/conversations/store.ts); those
-- stored before it get it from their turns, and the quiet-period sweep finds them through this index.
UPDATE `interactions` SET `channel_data` = json_set(`channel_data`, '$.lastTurnAt',
  (SELECT max(json_extract(value, '$.at')) FROM json_each(`interactions`.`turns`)))
WHERE `channel` = 'chat' AND json_extract(`channel_data`, '$.messageIds') IS NOT NULL
  AND coalesce(json_extract(`channel_data`, '$.closed'), 0) = 0
  AND (SELECT max(json_extract(value, '$.at')) FROM json_each(`interactions`.`turns`)) IS NOT NULL;--> statement-breakpoint
CREATE INDEX `interactions_open_conversation_idx` ON `interactions` (json_extract(`channel_data`, '$.lastTurnAt')) WHERE json_extract(`channel_data`, '$.lastTurnAt') IS NOT NULL;
