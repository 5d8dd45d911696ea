CREATE INDEX `interactions_email_thread_idx` ON `interactions` (`source`, json_extract(`channel_data`, '$.threadId')) WHERE json_extract(`channel_data`, '$.threadId') IS NOT NULL;
