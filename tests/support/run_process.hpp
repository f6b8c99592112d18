// Runs a program with an argv array (posix_spawn, no shell) and captures its exit code and
// output, for tests that exercise the cst binary as a user would.
#pragma once

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <string>
#include <vector>

extern char** environ;

namespace cst::test {

struct ProcessResult {
  int exit_code = -1;
  std::string out;  // stdout and stderr, interleaved
};

// What the program gets besides its arguments: text on stdin (the pipe is closed after it, so
// the program sees end of file; at most 64 KiB, one pipe buffer) and variables added to this
// process's environment ("NAME=value").
struct ProcessInput {
  std::string stdin_text;
  std::vector<std::string> env;
};

// Starts args with stdout and stderr on a pipe; returns the pid (-1 on failure) and sets
// *out_fd to the pipe's reading end.
inline pid_t spawn_process(const std::vector<std::string>& args, const ProcessInput& input, int* out_fd) {
  int out_pipe[2];
  int in_pipe[2];
  if (pipe(out_pipe) != 0) return -1;
  if (pipe(in_pipe) != 0) {
    close(out_pipe[0]);
    close(out_pipe[1]);
    return -1;
  }
  if (!input.stdin_text.empty()) {
    const ssize_t n = write(in_pipe[1], input.stdin_text.data(), input.stdin_text.size());
    (void)n;  // a short write shows up as the program reading less
  }
  close(in_pipe[1]);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_pipe[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDERR_FILENO);
  posix_spawn_file_actions_addclose(&actions, out_pipe[0]);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (char** e = environ; *e != nullptr; ++e) envp.push_back(*e);
  for (const auto& e : input.env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  pid_t pid = -1;
  // redflag-ok(exec): argv array straight to the program, no shell, no PATH search (callers pass CST_BINARY)
  if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data()) != 0) pid = -1;
  posix_spawn_file_actions_destroy(&actions);
  close(in_pipe[0]);
  close(out_pipe[1]);
  if (pid < 0) {
    close(out_pipe[0]);
    return -1;
  }
  *out_fd = out_pipe[0];
  return pid;
}

// Runs args; if kill_after_lines > 0, sends SIGKILL once the program has written that many
// lines (a crash at an instant the program does not choose).
inline ProcessResult run_process(const std::vector<std::string>& args, std::size_t kill_after_lines = 0,
                                 const ProcessInput& input = {}) {
  ProcessResult result;
  int out_fd = -1;
  const pid_t pid = spawn_process(args, input, &out_fd);
  if (pid < 0) return result;
  char buf[4096];
  ssize_t n = 0;
  std::size_t lines = 0;
  bool killed = false;
  while ((n = read(out_fd, buf, sizeof buf)) > 0) {
    result.out.append(buf, static_cast<std::size_t>(n));
    for (ssize_t i = 0; i < n; ++i) lines += buf[i] == '\n';
    if (kill_after_lines > 0 && !killed && lines >= kill_after_lines) {
      kill(pid, SIGKILL);
      killed = true;
    }
  }
  close(out_fd);
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

inline ProcessResult run_process(const std::vector<std::string>& args, const ProcessInput& input) {
  return run_process(args, 0, input);
}

// A program left running while the test does something else (a second process on the same
// files); the destructor kills it if the test did not wait for it.
class SpawnedProcess {
 public:
  explicit SpawnedProcess(const std::vector<std::string>& args, const ProcessInput& input = {}) {
    pid_ = spawn_process(args, input, &out_fd_);
  }
  ~SpawnedProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (out_fd_ >= 0) close(out_fd_);
  }
  SpawnedProcess(const SpawnedProcess&) = delete;
  SpawnedProcess& operator=(const SpawnedProcess&) = delete;

  // Reads output until `text` appears (true) or the program closes its output (false).
  bool read_until(const std::string& text) {
    char buf[4096];
    while (out_.find(text) == std::string::npos) {
      const ssize_t n = read(out_fd_, buf, sizeof buf);
      if (n <= 0) return false;
      out_.append(buf, static_cast<std::size_t>(n));
    }
    return true;
  }
  // Sends `signal`, reads the rest of the output and returns the exit code (128 + signal if killed).
  int stop(int signal) {
    if (pid_ <= 0) return -1;
    kill(pid_, signal);
    char buf[4096];
    ssize_t n = 0;
    while ((n = read(out_fd_, buf, sizeof buf)) > 0) out_.append(buf, static_cast<std::size_t>(n));
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  const std::string& out() const { return out_; }

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  std::string out_;
};

}  // namespace cst::test
