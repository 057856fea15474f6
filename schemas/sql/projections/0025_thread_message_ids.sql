-- A page restores only the messages of a thread it needs: those its events name by id (a send's
-- duplicate check, a release, the message a watermark moves up to) and those a watermark passes
-- over, by place. Find the first through an index on the message id.
CREATE INDEX parley_unread_thread_messages_message ON parley_unread_thread_messages (conversation_id, message_id);
CREATE INDEX parley_receipts_thread_messages_message ON parley_receipts_thread_messages (conversation_id, message_id);
CREATE INDEX parley_inbox_thread_messages_message ON parley_inbox_thread_messages (conversation_id, message_id);
