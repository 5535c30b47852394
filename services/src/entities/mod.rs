//! SeaORM entities, one file per table, mirroring the `migration` crate. Written by hand
//! in the shape `sea-orm-cli generate entity` produces; behaviour lives in the feature
//! modules, never here.

pub mod access_token;
pub mod attachment;
pub mod audit_entry;
pub mod comment;
pub mod comment_mention;
pub mod contact;
pub mod contact_event;
pub mod contact_field;
pub mod contact_field_value;
pub mod contact_import;
pub mod contact_label;
pub mod contact_note;
pub mod conversation;
pub mod conversation_label;
pub mod conversation_read;
pub mod department;
pub mod department_member;
pub mod inbox_item;
pub mod instance_secret;
pub mod invitation;
pub mod job;
pub mod label;
pub mod membership;
pub mod message;
pub mod outbox;
pub mod outbox_consumer;
pub mod password_reset;
pub mod push_subscription;
pub mod quick_reply;
pub mod saved_view;
pub mod segment;
pub mod session;
pub mod user;
pub mod visitor_token;
pub mod workspace;
