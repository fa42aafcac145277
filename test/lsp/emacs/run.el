;;; run.el --- drives Emacs (eglot) against `charter lsp --stdio' in batch mode.
;; Loads the configuration from docs/editor.md (CHARTER_CONFIG, extracted by
;; test/lsp/emacs.test.ts), opens CHARTER_FILE, lets eglot connect, and writes
;; what Emacs saw (flymake diagnostics, a hover, completion) to CHARTER_OUT.

(setq debug-on-error t
      inhibit-message t
      eglot-sync-connect t
      eglot-autoshutdown t)
(load (getenv "CHARTER_CONFIG") nil t)
(require 'eglot)
(require 'flymake)

(defun charter-out (fmt &rest args)
  (write-region (concat (apply #'format fmt args) "\n") nil (getenv "CHARTER_OUT") 'append 'silent))

(defun charter-wait (what pred secs)
  (let ((deadline (+ (float-time) secs)))
    (while (and (not (funcall pred)) (< (float-time) deadline))
      (when (bound-and-true-p flymake-mode) (flymake-start))
      (accept-process-output nil 0.2))
    (charter-out "%s %s" what (if (funcall pred) "true" "false"))))

(find-file (getenv "CHARTER_FILE"))
;; eglot-ensure connects from post-command-hook, which batch mode never runs by itself.
(run-hooks 'post-command-hook)
(charter-wait "connected" (lambda () (eglot-current-server)) 60)
(charter-out "mode %s root %s" major-mode (and (eglot-current-server) (project-root (eglot--project (eglot-current-server)))))
(charter-wait "diagnostics-arrived" (lambda () (> (length (flymake-diagnostics)) 3)) 60)
(dolist (d (flymake-diagnostics))
  (charter-out "diag %d %s" (line-number-at-pos (flymake-diagnostic-beg d)) (flymake-diagnostic-text d)))

;; Hover on the `allow' of the sandbox policy.
(goto-char (point-min))
(search-forward "allow read to analyst")
(goto-char (match-beginning 0))
(let ((r (jsonrpc-request (eglot-current-server) :textDocument/hover (eglot--TextDocumentPositionParams))))
  (charter-out "hover %s" (replace-regexp-in-string "\n" " " (format "%s" (plist-get (plist-get r :contents) :value)))))

;; Completion after `member of ' (through completion-at-point's table).
(goto-char (point-max))
(insert "\nprincipal emacs-test {\n  member of ")
(let* ((capf (eglot-completion-at-point))
       (table (nth 2 capf))
       (cands (all-completions "" table)))
  (charter-out "completion %s" (mapconcat #'identity cands ",")))
(kill-emacs 0)
