-- Users sign in with an email and a password, or with a wallet address (and no password).
--
-- One type for user ids everywhere: uuid. The original stored user ids as uuid in some tables
-- and as integers in others, which broke every signed-in progress query; every user_id column
-- in this schema is uuid and references users (id).

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Stored lower-cased (the app lower-cases before comparing), so a plain b-tree index answers
  -- sign-in; no lower(email) expression index is needed.
  email text UNIQUE CHECK (email = lower(email)),
  -- 0x + 40 lower-case hex digits. Unique among users who have one (the partial index below).
  wallet_address text CHECK (wallet_address ~ '^0x[0-9a-f]{40}$'),
  -- scrypt hash (see src/auth/password.ts); NULL for wallet-only users.
  password_hash text,
  display_name text NOT NULL,
  role text NOT NULL DEFAULT 'learner' CHECK (role IN ('learner', 'instructor', 'admin')),
  is_active boolean NOT NULL DEFAULT true,
  total_xp integer NOT NULL DEFAULT 0 CHECK (total_xp >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  last_login_at timestamptz,
  CONSTRAINT users_can_sign_in CHECK (wallet_address IS NOT NULL OR (email IS NOT NULL AND password_hash IS NOT NULL))
);

-- A wallet belongs to one user. Partial: users without a wallet take no space in it.
CREATE UNIQUE INDEX users_wallet_address_key ON users (wallet_address) WHERE wallet_address IS NOT NULL;
