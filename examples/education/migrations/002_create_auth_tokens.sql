-- Refresh tokens and the access-token blacklist.

-- A refresh token is stored only as its SHA-256 hash: a leaked table signs nobody in.
CREATE TABLE refresh_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash text NOT NULL UNIQUE,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- Set when the token is used (rotation) or the user signs out.
  revoked_at timestamptz
);

-- Access tokens revoked before they expire (sign-out). An entry is useless once the token it
-- names has expired: the cleanup job (src/jobs/cleanup-expired-tokens.ts) deletes those.
CREATE TABLE token_blacklist (
  -- The access token's `jti` claim.
  jti text PRIMARY KEY,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
