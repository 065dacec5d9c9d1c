/* floor.c: the FastCGI floor for scripts/bench: the least a libfcgi
 * responder can do per request (read the body, answer 303), so sealform's
 * figures can be read as a ratio of what FastCGI itself costs here. */
#include <fcgiapp.h>
#include <stdlib.h>

int main(void) {
  FCGX_Request request;
  char buffer[65536];
  FCGX_Init();
  FCGX_InitRequest(&request, 0, 0);
  while (FCGX_Accept_r(&request) >= 0) {
    const char* length = FCGX_GetParam("CONTENT_LENGTH", request.envp);
    long remaining = length ? atol(length) : 0;
    while (remaining > 0) {
      int n = FCGX_GetStr(buffer, remaining > (long)sizeof buffer ? (int)sizeof buffer : (int)remaining,
                          request.in);
      if (n <= 0) break;
      remaining -= n;
    }
    FCGX_PutS("Status: 303 See Other\r\nLocation: /en-us/enquiry/thanks\r\n"
              "Content-Type: text/plain; charset=utf-8\r\n\r\n", request.out);
    FCGX_Finish_r(&request);
  }
  return 0;
}
