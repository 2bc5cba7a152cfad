-- Neovim's built-in LSP client against bin/dtrace-language-server: open a D file with a syntax
-- error and a type error, record the diagnostics it receives, fix the syntax error with an
-- incremental edit (Neovim sends UTF-16 ranges), record them again, format the buffer, write
-- all of it as JSON.
-- Run by test/unit/lsp-neovim.test.ts:
--   DTRACE_NODE=node DTRACE_LS=bin/dtrace-language-server DTRACE_FILE=x.d DTRACE_OUT=out.json \
--   nvim --headless --clean -n -c 'luafile test/neovim/diagnostics.lua'
local node = os.getenv('DTRACE_NODE')
local server = os.getenv('DTRACE_LS')
local file = os.getenv('DTRACE_FILE')
local out = os.getenv('DTRACE_OUT')

local function record(bufnr)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    table.insert(list, {
      lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
      message = d.message, severity = d.severity, code = d.code or lsp.code, source = d.source,
    })
  end
  table.sort(list, function(a, b) return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col) end)
  return list
end

local result = { steps = {} }
local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  vim.bo[bufnr].filetype = 'dtrace'
  local client_id = vim.lsp.start_client({
    name = 'dtrace',
    cmd = { node, server, '--stdio' },
    root_dir = vim.fn.fnamemodify(file, ':h'),
  })
  vim.lsp.buf_attach_client(bufnr, client_id)
  result.opened = vim.wait(15000, function() return #vim.diagnostic.get(bufnr) >= 1 end, 20)
  table.insert(result.steps, record(bufnr))
  -- Close the parenthesis of `(2` on line 4 (0-based row 3): after the `2`.
  local line = vim.api.nvim_buf_get_lines(bufnr, 3, 4, false)[1]
  local col = string.find(line, '(2', 1, true) + 1
  vim.api.nvim_buf_set_text(bufnr, 3, col, 3, col, { ')' })
  result.edited = vim.wait(15000, function()
    local d = vim.diagnostic.get(bufnr)
    return #d == 1 and d[1].code ~= 'D_SYNTAX'
  end, 20)
  table.insert(result.steps, record(bufnr))
  -- Formatting through Neovim's client: its edits come in UTF-16 columns after the emoji.
  vim.lsp.buf.formatting_sync(nil, 10000)
  result.formatted = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  vim.lsp.stop_client(client_id)
end)
if not ok then result.error = tostring(err) end
vim.fn.writefile({ vim.fn.json_encode(result) }, out)
vim.cmd('qall!')
