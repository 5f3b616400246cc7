-- Development PostgreSQL: one database and one login role per service (docs/architecture.md: each service
-- owns its data). Run once by the postgres image's entrypoint when the data directory is empty.
-- Passwords are never in the repository: psql reads them from the container environment, which
-- the postgres-dev Secret fills (istio/README.md shows how to create it and the matching
-- <service>-secrets DATABASE_URLs). A missing variable leaves :'x' unexpanded and stops the init.
\set ON_ERROR_STOP on
\getenv auth_password AGORA_AUTH_DB_PASSWORD
\getenv users_password AGORA_USERS_DB_PASSWORD
\getenv posts_password AGORA_POSTS_DB_PASSWORD
\getenv media_password AGORA_MEDIA_DB_PASSWORD
\getenv notifications_password AGORA_NOTIFICATIONS_DB_PASSWORD

CREATE ROLE agora_auth LOGIN PASSWORD :'auth_password';
CREATE DATABASE agora_auth OWNER agora_auth;
REVOKE ALL ON DATABASE agora_auth FROM PUBLIC;

CREATE ROLE agora_users LOGIN PASSWORD :'users_password';
CREATE DATABASE agora_users OWNER agora_users;
REVOKE ALL ON DATABASE agora_users FROM PUBLIC;

CREATE ROLE agora_posts LOGIN PASSWORD :'posts_password';
CREATE DATABASE agora_posts OWNER agora_posts;
REVOKE ALL ON DATABASE agora_posts FROM PUBLIC;

CREATE ROLE agora_media LOGIN PASSWORD :'media_password';
CREATE DATABASE agora_media OWNER agora_media;
REVOKE ALL ON DATABASE agora_media FROM PUBLIC;

CREATE ROLE agora_notifications LOGIN PASSWORD :'notifications_password';
CREATE DATABASE agora_notifications OWNER agora_notifications;
REVOKE ALL ON DATABASE agora_notifications FROM PUBLIC;
