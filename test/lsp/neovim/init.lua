-- Headless Neovim (0.7+) as a third-party LSP client of the Charter server.
-- Environment: CHARTER_CMD (JSON list: the server command), CHARTER_ROOT
-- (workspace folder), CHARTER_FILE (file to open), CHARTER_OUT (results).
-- Writes one line per step to CHARTER_OUT, then quits.

local out = {}
local function log(line) table.insert(out, line) end
local function finish(code)
  vim.fn.writefile(out, os.getenv('CHARTER_OUT'))
  vim.cmd(code == 0 and 'qa!' or 'cquit! ' .. code)
end

local ok, err = pcall(function()
  local root = os.getenv('CHARTER_ROOT')
  local file = os.getenv('CHARTER_FILE')
  local cmd = vim.fn.json_decode(os.getenv('CHARTER_CMD'))

  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  vim.bo.filetype = 'charter'
  local bufnr = vim.api.nvim_get_current_buf()

  local client_id = vim.lsp.start_client({
    name = 'charter',
    cmd = cmd,
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = 'workspace' } },
    init_options = { today = '2026-11-23' },
    settings = { charter = { simulation = { context = { mfa = true, device = 'managed' } } } },
  })
  assert(client_id, 'start_client failed')
  vim.lsp.buf_attach_client(bufnr, client_id)

  -- 1. Diagnostics arrive for the open buffer.
  local got = vim.wait(30000, function() return #vim.diagnostic.get(bufnr) > 0 end, 50)
  log('diagnostics-arrived ' .. tostring(got))
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or ''
    log(string.format('diag %d:%d %s %s', d.lnum + 1, d.col + 1, code, (d.message:gsub('\n', ' '))))
  end

  -- 2. Hover over a name, through the client's request API.
  local client = vim.lsp.get_client_by_id(client_id)
  local line = vim.fn.search('allow read to analyst', 'n')
  local params = { textDocument = { uri = vim.uri_from_bufnr(bufnr) }, position = { line = line - 1, character = 3 } }
  local res = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', params, 10000)
  for _, r in pairs(res or {}) do
    if r.result and r.result.contents then log('hover ' .. (r.result.contents.value:gsub('\n', ' '))) end
    if r.err then log('hover-error ' .. r.err.message) end
  end

  -- 3. Completion after `member of ` in a new principal typed into the buffer.
  local last = vim.api.nvim_buf_line_count(bufnr)
  vim.api.nvim_buf_set_lines(bufnr, last, last, false, { 'principal zed {', '  member of ', '}' })
  local labels = {}
  for attempt = 1, 2 do
    local cres, cerr = vim.lsp.buf_request_sync(bufnr, 'textDocument/completion', { textDocument = params.textDocument, position = { line = last + 1, character = 12 } }, 10000)
    if not cres then log('completion-attempt-' .. attempt .. ' ' .. tostring(cerr)) end
    for _, r in pairs(cres or {}) do
      if r.err then log('completion-error ' .. tostring(r.err.message)) end
      local items = r.result and (r.result.items or r.result) or {}
      for _, it in ipairs(items) do table.insert(labels, it.label) end
    end
    if #labels > 0 then break end
    vim.wait(500)
  end
  log('completion ' .. table.concat(labels, ','))

  -- 4. Edit the buffer (incremental sync): fix the syntax error, break a name.
  local bad = vim.fn.search('^\\s*field note string', 'n')
  vim.api.nvim_buf_set_lines(bufnr, bad - 1, bad, false, { '  field note: string' })
  local fixed = vim.wait(30000, function()
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if d.message:find("expected ':'", 1, true) then return false end
    end
    return true
  end, 50)
  log('syntax-fixed ' .. tostring(fixed))
  local grp = vim.fn.search('^group sandbox-testers \\+#', 'n')
  vim.api.nvim_buf_set_lines(bufnr, grp - 1, grp, false, { 'group sandbox-testerz' })
  local dup_gone = vim.wait(30000, function()
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if d.message:find('already declared', 1, true) then return false end
    end
    return true
  end, 50)
  log('duplicate-gone ' .. tostring(dup_gone))
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    log(string.format('after %d:%d %s', d.lnum + 1, d.col + 1, (d.message:gsub('\n', ' '))))
  end

  vim.lsp.stop_client(client_id)
  vim.wait(2000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 50)
end)

if not ok then
  log('lua-error ' .. tostring(err))
  finish(3)
else
  finish(0)
end
