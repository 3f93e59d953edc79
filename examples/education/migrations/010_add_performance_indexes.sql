-- The original's first index phase. Its "(user, module)" and "(user, tutorial)" progress
-- indexes are the primary keys of 004, and modules, tutorials, challenges, certifications and
-- learning paths are indexed by slug through their UNIQUE constraints (003); this adds the rest.

-- Module progress: by status ("what am I working on"), by completion date, and per module
-- (completion rates for one module).
CREATE INDEX idx_learning_progress_user_status ON user_learning_progress (user_id, status);
CREATE INDEX idx_learning_progress_user_completed ON user_learning_progress (user_id, completed_at);
CREATE INDEX idx_learning_progress_module_user_status ON user_learning_progress (module_id, user_id, status);

-- Tutorial progress by status.
CREATE INDEX idx_tutorial_progress_user_status ON user_tutorial_progress (user_id, status);

-- Achievements: by type, newest first, by xp.
CREATE INDEX idx_achievements_user_type ON user_achievements (user_id, achievement_type);
CREATE INDEX idx_achievements_user_earned ON user_achievements (user_id, earned_at DESC);
CREATE INDEX idx_achievements_user_xp ON user_achievements (user_id, xp);

-- Catalog listings in display order.
CREATE INDEX idx_modules_category_order ON modules (category, sort_order);
CREATE INDEX idx_tutorials_category_order ON tutorials (category, sort_order);

-- Children by parent, in order.
CREATE INDEX idx_module_content_module ON module_content (module_id, position);
CREATE INDEX idx_tutorial_steps_tutorial ON tutorial_steps (tutorial_id, position);
CREATE INDEX idx_quizzes_module ON quizzes (module_id);
