package io.slipway.kit.problem;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.validation.beanvalidation.LocalValidatorFactoryBean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The shared handler answers the common errors as every service did before, in one shape. */
class ProblemHandlerTest {

  record Body(@Size(max = 3) String name) {}

  @RestController
  static class Things {
    @GetMapping("/things/{number}")
    String thing(@PathVariable int number) {
      throw Problem.notFound("Thing", String.valueOf(number)).with("number", number);
    }

    @GetMapping("/things")
    String search(@RequestParam String q) {
      return q;
    }

    @PostMapping("/things")
    String create(@Valid @RequestBody Body body) {
      return body.name();
    }
  }

  @RestControllerAdvice
  static class Advice extends ProblemHandler {}

  private final MockMvc mvc = mvc();

  private static MockMvc mvc() {
    LocalValidatorFactoryBean validator = new LocalValidatorFactoryBean();
    validator.afterPropertiesSet();
    return MockMvcBuilders.standaloneSetup(new Things())
        .setControllerAdvice(new Advice())
        .setValidator(validator)
        .build();
  }

  @Test
  void aProblemLeavesWithItsStatusTypeTitleAndMembers() throws Exception {
    mvc.perform(get("/things/7"))
        .andExpect(status().isNotFound())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.type").value("https://slipway.io/problems/not-found"))
        .andExpect(jsonPath("$.title").value("Not found"))
        .andExpect(jsonPath("$.detail").value("Thing '7' was not found"))
        .andExpect(jsonPath("$.number").value(7));
  }

  @Test
  void aParameterOfTheWrongTypeIsABadRequest() throws Exception {
    mvc.perform(get("/things/seven"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.type").value("https://slipway.io/problems/invalid-parameter"))
        .andExpect(jsonPath("$.detail").value("Parameter 'number' has an invalid value"));
  }

  @Test
  void aFieldThatFailsValidationIsNamed() throws Exception {
    mvc.perform(
            post("/things").contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"long\"}"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.type").value("https://slipway.io/problems/invalid-request"))
        .andExpect(jsonPath("$.title").value("Bad request"))
        .andExpect(jsonPath("$.errors[0].field").value("name"))
        .andExpect(jsonPath("$.detail").value("name size must be between 0 and 3"));
  }

  @Test
  void aBodyThatIsNotJsonIsMalformed() throws Exception {
    mvc.perform(post("/things").contentType(MediaType.APPLICATION_JSON).content("{name"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.type").value("https://slipway.io/problems/malformed-body"))
        .andExpect(
            jsonPath("$.detail").value("The request body is not valid JSON of the expected shape"));
  }

  @Test
  void whatSpringAnswersItselfGetsAStableTypeToo() throws Exception {
    mvc.perform(get("/things"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.type").value("https://slipway.io/problems/bad-request"))
        .andExpect(jsonPath("$.detail").value("Required parameter 'q' is not present."));
    mvc.perform(delete("/things/7"))
        .andExpect(status().isMethodNotAllowed())
        .andExpect(jsonPath("$.type").value("https://slipway.io/problems/method-not-allowed"));
  }
}
